import type { ReactNode } from 'react';
import type { SettingsField as Field } from '../../store/settings-form';
import { FIELD_HINTS } from '../../store/settings-form';
import { useApp } from '../../store/store-context';

/** A labelled settings control with its hint and, when it is not right, its error right below. */
export function SettingsField({ field, label, children }: { readonly field: Field; readonly label: string; readonly children: (props: FieldControlProps) => ReactNode }) {
  const error = useApp((state) => state.settingsFieldErrors[field]);
  const hint = FIELD_HINTS[field];
  const id = `setting-${field}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span aria-hidden="true">❌ </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export interface FieldControlProps {
  readonly id: string;
  readonly 'aria-describedby': string | undefined;
  readonly 'aria-invalid': true | undefined;
}

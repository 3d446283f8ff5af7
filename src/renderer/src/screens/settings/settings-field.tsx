import type { ReactNode } from 'react';
import { Icon } from '../../components/icon';
import type { SettingsField as Field, SettingsForm } from '../../store/settings-form';
import { FIELD_HINTS } from '../../store/settings-form';
import { useApp } from '../../store/store-context';

/** A labelled settings control with its hint and, when it is not right, its error right below. */
export function SettingsField({
  field,
  label,
  children,
  after,
}: {
  readonly field: Field;
  readonly label: string;
  readonly children: (props: FieldControlProps) => ReactNode;
  /** Shown below the control and its error (a question about the value, a warning). */
  readonly after?: ReactNode;
}) {
  const error = useApp((state) => state.settingsFieldErrors[field]);
  return (
    <FieldFrame id={`setting-${field}`} label={label} hint={FIELD_HINTS[field]} error={error} after={after}>
      {children}
    </FieldFrame>
  );
}

/**
 * How every settings control is laid out: the label, the hint, the control (told which texts
 * describe it and whether it is invalid), the error below it, and anything after.
 */
export function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
  after,
}: {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly children: (props: FieldControlProps) => ReactNode;
  readonly after?: ReactNode;
}) {
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
          <Icon name="cross" /> {error}
        </p>
      ) : null}
      {after}
    </div>
  );
}

export interface FieldControlProps {
  readonly id: string;
  readonly 'aria-describedby': string | undefined;
  readonly 'aria-invalid': true | undefined;
}

type BooleanField = { [F in Field]: SettingsForm[F] extends boolean ? F : never }[Field];

/** A yes/no setting: the box, its label beside it, and a hint below. */
export function SettingsCheckbox({ field, label, hint }: { readonly field: BooleanField; readonly label: string; readonly hint: string }) {
  const checked = useApp((state) => state.settingsForm?.[field] ?? false);
  const editSetting = useApp((state) => state.editSetting);
  const id = `setting-${field}`;
  return (
    <div className="field field-checkbox">
      <input id={id} type="checkbox" checked={checked} aria-describedby={`${id}-hint`} onChange={(event) => editSetting(field, event.target.checked)} />
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

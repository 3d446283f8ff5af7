import type { ButtonHTMLAttributes } from 'react';

/**
 * A button that stays focusable while its action is on its way: `busy` marks it aria-disabled
 * (and ignores clicks) instead of disabling it, since a disabled button drops the keyboard's
 * focus to the page's <body>. `disabled` is for a button that does not apply at all.
 */
export function BusyButton({ busy, onClick, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { readonly busy: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      className={busy ? `${className ?? ''} is-busy`.trim() : className}
      aria-disabled={busy || undefined}
      onClick={busy ? undefined : onClick}
    />
  );
}

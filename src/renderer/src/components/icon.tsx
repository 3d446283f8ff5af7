import { assertNever } from '../../../shared/assert-never';

/**
 * The app's icons, drawn as SVG in the text's own colour (currentColor), so they show on every
 * system (emoji need an emoji font, which many Linux desktops lack) and follow Windows High
 * Contrast. An icon never stands alone: the words beside it say the same, and screen readers
 * read only the words.
 */
export type IconName = 'check' | 'cross' | 'skip' | 'working' | 'pending' | 'warning' | 'pause' | 'info' | 'picture';

function paths(name: IconName) {
  switch (name) {
    case 'check':
      return <path d="M3 8.5l3.2 3.2L13 4.8" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />;
    case 'cross':
      return <path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />;
    case 'skip':
      return <path d="M3 4l5 4-5 4zM8 4l5 4-5 4z" fill="currentColor" />;
    case 'working':
      return (
        <>
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M8 4.5V8l2.5 1.8" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </>
      );
    case 'pending':
      return <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeDasharray="2.4 2" />;
    case 'warning':
      return (
        <>
          <path d="M8 1.8L15 14H1z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
          <path d="M8 6v4M8 11.6v.2" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </>
      );
    case 'pause':
      return <path d="M5 3.5v9M11 3.5v9" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />;
    case 'info':
      return (
        <>
          <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 7.2v4.3M8 4.6v.2" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
        </>
      );
    case 'picture':
      return (
        <>
          <rect x="1.8" y="2.8" width="12.4" height="10.4" rx="1.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
          <path d="M3.5 11.5l3.2-3.6 2.3 2.4 1.6-1.6 2 2.8" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
          <circle cx="10.8" cy="5.8" r="1.1" fill="currentColor" />
        </>
      );
    default:
      return assertNever(name, 'icon');
  }
}

export function Icon({ name }: { readonly name: IconName }) {
  return (
    <svg className={`icon icon-${name}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {paths(name)}
    </svg>
  );
}

import { useMemo } from 'react';
import { auditCountPhrases, totalFindings } from '../../../../shared/accessibility-audit';
import { Icon } from '../../components/icon';
import { ScreenHeading } from '../../components/screen-heading';
import { useApp } from '../../store/store-context';
import { plural } from '../../text/plural';
import { accessibilitySummary, type AccessibilitySummary } from './accessibility-summary';
import './accessibility.css';

/**
 * What stands between the open batch's decks and an accessible course: what the accessibility
 * audit found (PowerPoint's Accessibility Checker's checks), for the batch and per deck, and
 * what the run fixed in the copies. The findings with their slides and shapes are in each
 * deck's review page; `altgen audit` prints them for a folder.
 */
export function AccessibilityScreen() {
  const batch = useApp((state) => state.batch);
  // The batch view changes on every event; the summary is recounted only when it does.
  const summary = useMemo(() => (batch ? accessibilitySummary(batch) : null), [batch]);
  return (
    <>
      <ScreenHeading>Accessibility</ScreenHeading>
      {!summary ? (
        <p className="panel">
          No batch is open. Run a dry run of a folder (New batch › Dry run) to see what stands between its decks and an accessible course, or open a
          batch from the batch history.
        </p>
      ) : (
        <>
          <BatchTotals summary={summary} />
          {summary.decks.length > 0 ? <DeckTable summary={summary} /> : null}
        </>
      )}
    </>
  );
}

function BatchTotals({ summary }: { readonly summary: AccessibilitySummary }) {
  const found = auditCountPhrases(summary.found);
  const fixed = auditCountPhrases(summary.fixed);
  const decks = plural(summary.checked, 'deck');
  return (
    <section className="panel" aria-labelledby="accessibility-batch">
      <h3 id="accessibility-batch">This batch</h3>
      {summary.checked === 0 ? (
        <p>{summary.waiting > 0 ? 'No deck has been checked yet.' : 'No deck of this batch was checked (it was made before AltGen checked accessibility, or no deck could be read).'}</p>
      ) : totalFindings(summary.found) === 0 ? (
        <p>
          <Icon name="check" />
          {decks} checked: no problems found.
        </p>
      ) : (
        <>
          <p>{decks} checked:</p>
          <ul className="accessibility-counts">
            {found.map((phrase) => (
              <li key={phrase}>{phrase}</li>
            ))}
          </ul>
        </>
      )}
      {!summary.dryRun && fixed.length > 0 ? <p>Fixed in the copies: {fixed.join(', ')}.</p> : null}
      {summary.waiting > 0 ? <p className="hint">{plural(summary.waiting, 'deck')} still to check.</p> : null}
      {summary.checked > 0 ? (
        <p className="hint">
          {summary.clean > 0 ? `${plural(summary.clean, 'deck')} without problems ${summary.clean === 1 ? 'is' : 'are'} not listed. ` : ''}
          {summary.dryRun ? (
            <>
              Each problem, with its slide and what to do, is listed by <code>altgen audit</code>; a run lists them in each deck’s review page.
            </>
          ) : (
            <>
              Each problem, with its slide and what to do, is listed in the deck’s review page (the .alt-review.html beside its copy);{' '}
              <code>altgen course-report</code> writes them all, with what was fixed and reviewed, for the accessibility office.
            </>
          )}
        </p>
      ) : null}
    </section>
  );
}

function DeckTable({ summary }: { readonly summary: AccessibilitySummary }) {
  const showFixed = !summary.dryRun;
  return (
    <div className="table-wrap">
      <table className="history-table accessibility-table">
        <caption>Decks with problems, in queue order</caption>
        <thead>
          <tr>
            <th scope="col">Deck</th>
            <th scope="col">Found</th>
            {showFixed ? <th scope="col">Fixed in the copy</th> : null}
          </tr>
        </thead>
        <tbody>
          {summary.decks.map((deck) => (
            <tr key={deck.index}>
              <th scope="row">{deck.relative_path}</th>
              <td>
                <ul className="accessibility-counts">
                  {deck.found.map((phrase) => (
                    <li key={phrase}>{phrase}</li>
                  ))}
                </ul>
              </td>
              {showFixed ? <td>{deck.fixed.length > 0 ? deck.fixed.join(', ') : 'nothing'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {summary.moreDecks > 0 ? <p className="hint">…and {plural(summary.moreDecks, 'more deck')} with problems, counted in the totals above.</p> : null}
    </div>
  );
}

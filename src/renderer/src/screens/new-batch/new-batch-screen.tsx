import { ScreenHeading } from '../../components/screen-heading';
import { useApp } from '../../store/store-context';
import { DiscoveryPreview } from './discovery-preview';
import { DropZone } from './drop-zone';
import { InputPathsField } from './input-paths-field';
import { OutputFolderField } from './output-folder-field';
import { StartButtons } from './start-buttons';
import { UnfinishedBatches } from './unfinished-batches';

/** Choose decks, see what was found, choose where the copies go, then dry-run or start. */
export function NewBatchScreen() {
  // In a browser the paths field comes first: a drop cannot give a page any path there.
  const web = useApp((state) => state.appInfo?.host === 'web');
  return (
    <>
      <ScreenHeading>New batch</ScreenHeading>
      <UnfinishedBatches />
      <section className="panel" aria-labelledby="choose-heading">
        <h3 id="choose-heading">1. Choose your lecture decks</h3>
        {web ? (
          <>
            <InputPathsField />
            <DropZone />
          </>
        ) : (
          <>
            <DropZone />
            <InputPathsField />
          </>
        )}
      </section>
      <DiscoveryPreview />
      <section className="panel" aria-labelledby="output-heading">
        <h3 id="output-heading">2. Choose where the accessible copies go</h3>
        <OutputFolderField />
      </section>
      <section className="panel" aria-labelledby="run-heading">
        <h3 id="run-heading">3. Check, then run</h3>
        <p className="hint">
          A dry run opens every deck, counts the pictures the run will describe and checks the model server, without writing anything.
        </p>
        <StartButtons />
      </section>
    </>
  );
}

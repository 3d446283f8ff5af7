/**
 * The app's first screen. The batch screens (drop zone, dry run, queue table) are built on
 * the core's IPC contract; until they land, this screen says how to run a batch today.
 */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '44rem', margin: '3rem auto', lineHeight: 1.5 }}>
      <h1>AltGen Desktop</h1>
      <p>Alt text for every picture in your lecture decks, written by a vision-language model on this computer.</p>
      <h2>Run a batch</h2>
      <p>The batch engine runs from the command line today:</p>
      <pre>altgen batch --input-dir "Lectures/Fall" --dry-run{'\n'}altgen batch --input-dir "Lectures/Fall"</pre>
      <p>The desktop screens for choosing folders and watching the queue are being built on the same engine.</p>
    </main>
  );
}

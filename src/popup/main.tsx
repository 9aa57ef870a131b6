import { render } from 'preact';
import type { AppSnapshot } from '../core/protocol';
import { takeStorageMirror } from './first-read';
import { Popup } from './Popup';

const root = document.getElementById('root') as HTMLElement;
const storage = takeStorageMirror();
const mount = (first?: AppSnapshot) => {
  render(<Popup first={first} storage={storage} />, root);
};

// The first render waits for the storage read that public/popup/early-read.js started while the HTML was
// parsed (usually answered by the time this runs), so the first frame shows the token rather than
// "Loading…" first and the token one frame later. If that read fails, the popup mounts and reads again.
storage.snapshot().then(mount, () => {
  mount();
});

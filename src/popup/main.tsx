import { render } from 'preact';
import type { AppSnapshot } from '../core/protocol';
import { currentView } from '../platform/views';
import { takeStorageMirror } from './first-read';
import { Popup } from './Popup';

// Which of its three places this page is in (popup, side panel or sidebar, tab): the stylesheet lays it out
// for each, and the popup alone offers to open the others. Known before the first render.
document.documentElement.dataset.view = currentView();
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

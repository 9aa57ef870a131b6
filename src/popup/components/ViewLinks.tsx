import { useEffect, useState } from 'preact/hooks';
import { currentView, currentWindowId, openInTab, openSidePanel, sidePanelName } from '../../platform/views';

/**
 * "Open in side panel" (Firefox: "Open in sidebar") and "Open in a tab": the same page in a view that stays
 * open while the user works in the page beside it. Offered in the toolbar popup only; the panel and the tab
 * are already such views. The popup closes once the other view is open; if opening fails, it stays and says
 * why.
 */
export function ViewLinks() {
  // A document never moves between views: ask once.
  const [view] = useState(currentView);
  const [panelName] = useState(sidePanelName);
  const [problem, setProblem] = useState<string>();
  // Asked ahead: the click then opens the side panel with nothing awaited first (see openSidePanel).
  const [windowId, setWindowId] = useState<number>();
  useEffect(() => {
    if (view === 'popup') currentWindowId().then(setWindowId, () => undefined);
  }, [view]);
  if (view !== 'popup') return null;

  // Each opener is the first thing the click does: the side panel only opens during the user's gesture.
  const open = (opener: () => Promise<void>, where: string) => () => {
    setProblem(undefined);
    opener().then(
      () => {
        window.close();
      },
      (error: unknown) => {
        setProblem(`Could not open ${where}: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };

  return (
    <div class="view-links" role="group" aria-label="Open elsewhere">
      {panelName && (
        <button type="button" class="ghost" onClick={open(() => openSidePanel(windowId), `the ${panelName}`)}>
          Open in {panelName}
        </button>
      )}
      <button type="button" class="ghost" onClick={open(openInTab, 'a tab')}>
        Open in a tab
      </button>
      {problem && (
        <p role="alert" class="field-message error">
          {problem}
        </p>
      )}
    </div>
  );
}

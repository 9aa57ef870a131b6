/**
 * Said while an opened section's code loads. Only once opened, and never the bare "Loading…" of the popup's
 * first frame (which the e2e page objects wait to see go): folded, a section holds nothing taken for it.
 */
export function LoadingLine({ opened, text }: { opened: boolean; text: string }) {
  return opened ? (
    <p class="loading" aria-busy="true">
      {text}
    </p>
  ) : null;
}

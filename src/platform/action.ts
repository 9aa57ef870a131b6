import browser from 'webextension-polyfill';

/** What the toolbar button shows: the badge and the tooltip. */
export interface ActionLook {
  text: string;
  color: string;
  textColor: string;
  title: string;
}

/**
 * Sets the toolbar button's badge and tooltip. Each call is skipped when the value is already shown: every
 * call is a round trip to the browser, and this runs after every storage change and once a minute.
 */
export async function showOnAction(look: ActionLook): Promise<void> {
  const [text, title] = await Promise.all([browser.action.getBadgeText({}), browser.action.getTitle({})]);
  const changes: Promise<void>[] = [];
  if (text !== look.text) changes.push(browser.action.setBadgeText({ text: look.text }));
  if (title !== look.title) changes.push(browser.action.setTitle({ title: look.title }));
  // Colours cannot be compared cheaply (getBadgeBackgroundColor answers RGBA arrays); set them each time.
  changes.push(browser.action.setBadgeBackgroundColor({ color: look.color }));
  // Chrome 110+ and Firefox; older browsers pick a text colour themselves.
  const setTextColor = (browser.action as { setBadgeTextColor?: (d: { color: string }) => Promise<void> })
    .setBadgeTextColor;
  if (setTextColor) changes.push(setTextColor.call(browser.action, { color: look.textColor }));
  await Promise.all(changes);
}

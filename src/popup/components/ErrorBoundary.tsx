import { Component, type ComponentChildren } from 'preact';

interface Props {
  /** What to show instead of the children once one of them threw; `retry` renders the children again. */
  fallback: (error: Error, retry: () => void) => ComponentChildren;
  children: ComponentChildren;
}

interface State {
  error: Error | undefined;
}

/**
 * Catches what its children throw while rendering (or in their effects), so one bad value shows a message
 * instead of blanking the popup.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static override getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    // The name only: an error's message can quote the value it failed on, a secret included.
    console.error(
      'The popup could not show part of itself:',
      error instanceof Error ? error.name : typeof error,
    );
  }

  private readonly retry = () => {
    this.setState({ error: undefined });
  };

  override render() {
    return this.state.error ? this.props.fallback(this.state.error, this.retry) : this.props.children;
  }
}

/** How close to the bottom still counts as "at the bottom" (fractional pixels, small wheel nudges). */
const NEAR_BOTTOM_PX = 24;

/**
 * Keeps a scrolling element pinned to its bottom while content streams in, until the user
 * scrolls up to read; following resumes when they scroll back to the bottom.
 */
export class ScrollFollower {
  following = $state(true);
  /** Where the last automatic scroll left the view; the user moving above it means "stop following". */
  private pinnedTop = 0;
  private readonly mutations: MutationObserver;
  private readonly resizes: ResizeObserver;

  constructor(private readonly element: HTMLElement) {
    element.addEventListener('scroll', this.onScroll, { passive: true });
    // A wheel turned upwards is intent even before the scroll event reports the new position.
    element.addEventListener('wheel', this.onWheel, { passive: true });
    // Rendered markdown lands a frame after the store changes, so watch the DOM, not the store.
    this.mutations = new MutationObserver(() => this.keepUp());
    this.mutations.observe(element, { childList: true, subtree: true, characterData: true });
    // A narrower window or an on-screen keyboard changes the height without a mutation.
    this.resizes = new ResizeObserver(() => this.keepUp());
    this.resizes.observe(element);
  }

  /** Scrolls to the newest message and follows it again. */
  jumpToLatest(): void {
    this.following = true;
    this.pinnedTop = 0;
    this.keepUp();
  }

  destroy(): void {
    this.element.removeEventListener('scroll', this.onScroll);
    this.element.removeEventListener('wheel', this.onWheel);
    this.mutations.disconnect();
    this.resizes.disconnect();
  }

  private distanceFromBottom(): number {
    const { scrollHeight, scrollTop, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight;
  }

  private readonly onScroll = (): void => {
    this.following = this.distanceFromBottom() <= NEAR_BOTTOM_PX;
  };

  private readonly onWheel = (event: WheelEvent): void => {
    if (event.deltaY < 0) this.following = false;
  };

  private keepUp(): void {
    if (!this.following) return;
    // New content can arrive before the scroll event of a user's scroll is dispatched: the
    // position, not the event, says whether they moved away.
    // (Content that shrank clamps the view to the bottom, which is not moving away.)
    if (this.element.scrollTop < this.pinnedTop - NEAR_BOTTOM_PX && this.distanceFromBottom() > NEAR_BOTTOM_PX) {
      this.following = false;
      return;
    }
    this.element.scrollTop = this.element.scrollHeight;
    this.pinnedTop = this.element.scrollTop;
  }
}

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
  private readonly children = new Set<Element>();

  constructor(private readonly element: HTMLElement) {
    element.addEventListener('scroll', this.onScroll, { passive: true });
    // A wheel turned upwards is intent even before the scroll event reports the new position.
    element.addEventListener('wheel', this.onWheel, { passive: true });
    // Content grows by its children growing (rendered markdown lands a frame after the store
    // changes). Resize callbacks run after the frame's layout, so reading the scroll height there
    // costs nothing; reading it on every DOM mutation forced a layout per streamed token.
    // The scroller itself is watched too: a narrower window or an on-screen keyboard.
    this.resizes = new ResizeObserver(() => this.keepUp());
    this.resizes.observe(element);
    this.watchChildren();
    // Only the scroller's own children come and go here (messages, the empty-state line).
    this.mutations = new MutationObserver(() => this.watchChildren());
    this.mutations.observe(element, { childList: true });
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

  private watchChildren(): void {
    const current = new Set(this.element.children);
    for (const child of this.children) {
      if (current.has(child)) continue;
      this.resizes.unobserve(child);
      this.children.delete(child);
    }
    for (const child of current) {
      if (this.children.has(child)) continue;
      this.resizes.observe(child);
      this.children.add(child);
    }
  }

  private distanceFromBottom(): number {
    const { scrollHeight, scrollTop, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight;
  }

  private readonly onScroll = (): void => {
    if (this.distanceFromBottom() <= NEAR_BOTTOM_PX) {
      this.following = true;
      return;
    }
    // The scroll event of our own scroll to the bottom can arrive after more text landed below
    // it: the view is then short of the bottom but not above where it was pinned, which is not
    // the user leaving. (Seen on a busy machine: "Latest" clicked mid-stream, and following
    // stopped again a frame later.)
    if (this.following && this.element.scrollTop >= this.pinnedTop - NEAR_BOTTOM_PX) return;
    this.following = false;
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

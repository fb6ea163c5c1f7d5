/**
 * Region children (`<full-instructions>`, `<classification-target>`, `<short-summary>`, …) are
 * plain tags in the template. An element with regions renders one named slot per region and,
 * whenever its default slot receives children, gives each region child the `slot` of its own tag
 * name, so the content lands where it belongs — also when a script adds it later.
 */
export function slotRegionChildren(event: Event, regions: ReadonlySet<string>): void {
  const slot = event.target as HTMLSlotElement;
  for (const child of slot.assignedElements()) {
    if (regions.has(child.localName) && !child.hasAttribute('slot')) child.setAttribute('slot', child.localName);
  }
}

/** The first element assigned to a named slot (a region), if any. */
export function regionElement(event: Event): Element | undefined {
  return (event.target as HTMLSlotElement).assignedElements()[0];
}

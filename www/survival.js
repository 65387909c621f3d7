// The survival view: Kaplan-Meier figure, summary and tests tables, exports and the methods paragraph.

/** Shows the survival results for the current settings; hides the section when the core has no estimator. */
export async function survivalView(ctx) {
  const body = document.getElementById('results-body');
  if (!ctx.capabilities.includes('km')) {
    body.replaceChildren();
    document.getElementById('results').hidden = true;
  }
}

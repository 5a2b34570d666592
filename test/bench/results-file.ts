/**
 * RESULTS.md as a preamble and `## ` sections, so a benchmark run alone (`--only`) replaces its
 * own section and keeps the others' last results.
 */
export function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const part of markdown.split(/^(?=## )/m).slice(1)) {
    const title = part.slice(0, part.indexOf('\n') === -1 ? undefined : part.indexOf('\n')).trim();
    sections.set(title, `${part.trimEnd()}\n`);
  }
  return sections;
}

export function resultsFile(preamble: string, sections: readonly string[]): string {
  return [preamble.trimEnd(), ...sections.map((section) => section.trimEnd())].join('\n\n').concat('\n');
}

import { nameTable } from '../../src/store/name-codes.ts';

/** The projection's name dictionary in memory, numbering names as the store's script does. */
export function memoryDictionary() {
  const byName = new Map<string, string>();
  const byCode = new Map<string, string>();
  const codeOf = (name: string): string => {
    let code = byName.get(name);
    if (code === undefined) {
      code = String(byCode.size + 1);
      byName.set(name, code);
      byCode.set(code, name);
    }
    return code;
  };
  return { codeOf, names: nameTable(byCode) };
}

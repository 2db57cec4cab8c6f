/** Appends `item` to the list of `key` in `map`, starting the list when the key is new. */
export function appendTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** The items by key, each list in the items' order, the keys in order of first appearance. */
export function groupBy<K, T>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) appendTo(groups, key(item), item);
  return groups;
}

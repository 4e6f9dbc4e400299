// A chart's numbers as a table (its text alternative): a header row and a
// few rows of formatted values, replacing the container's content.
export function fillNumberTable(container, columns, rows, caption = "") {
  const table = document.createElement("table");
  table.className = "numbers";
  if (caption) table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const text of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) tr.insertCell().textContent = value;
  }
  container.replaceChildren(table);
}

// About `count` indices spread evenly over 0..n-1, always the first and the last.
export function spreadIndices(n, count) {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return [...new Set(Array.from({ length: count }, (_, k) => Math.round((k * (n - 1)) / (count - 1))))];
}

// The page's DOM helpers, for every module on the main thread (app, panels,
// views): the element of an id, and a file handed to the user.

// The element with this id (the page's markup is index.html).
export const $ = (id) => document.getElementById(id);

// Offers `content` (a string, bytes or a Blob part) as a file named `name`.
export function download(name, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

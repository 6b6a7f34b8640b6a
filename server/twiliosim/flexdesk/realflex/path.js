// The one function of node's "path" a Flex UI dependency (mime-types) calls in the browser.
export function extname(p) {
  var m = /(\.[^./\\]*)$/.exec(String(p).replace(/^.*[\\/]/, ""));
  return m && m[1] !== String(p).replace(/^.*[\\/]/, "") ? m[1] : "";
}
export default { extname: extname };

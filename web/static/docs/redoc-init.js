// Starts ReDoc on /redoc (a file, not an inline script: the CSP allows no inline script).
const root = document.getElementById("redoc");
window.Redoc.init(root.dataset.openapiUrl, {}, root);

// A page of saved values shown again by the browser's back button comes from its memory
// (back/forward cache) as it was before the person recorded values elsewhere: read it again.
window.addEventListener("pageshow", function (event) {
  "use strict";
  if (event.persisted) { window.location.reload(); }
});

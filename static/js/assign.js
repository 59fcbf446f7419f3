// Assignment form: show only the target fields that apply to "Ditugaskan kepada".
// Without this script every field stays visible, each label saying which choice it is for.
(function () {
  "use strict";
  var form = document.getElementById("assign-form");
  var scope = form && form.querySelector("select[name=scope]");
  if (!scope) { return; }
  function show() {
    var parts = form.querySelectorAll("[data-scope]");
    for (var i = 0; i < parts.length; i += 1) {
      parts[i].hidden = parts[i].getAttribute("data-scope") !== scope.value;
    }
  }
  scope.addEventListener("change", show);
  show();
}());

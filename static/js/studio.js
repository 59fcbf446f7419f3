// Studio: live preview while typing, image upload that pastes its Markdown, jump to an error's
// line, copy buttons and confirmations. Progressive enhancement only: every studio page works
// without this script (the "Pratinjau" button asks the server; uploads post the form).
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }

  // ---- live preview: POST the Markdown ~600 ms after the last keystroke
  var source = document.querySelector("textarea[data-preview-url]");
  var target = source && document.getElementById(source.getAttribute("data-preview-target"));
  var status = document.getElementById("preview-status");
  var timer = null;
  var sent = 0;
  var dirty = false;

  function refreshPreview() {
    var number = ++sent;
    var body = new FormData();
    body.append("source", source.value);
    fetch(source.getAttribute("data-preview-url"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"X-CSRFToken": source.getAttribute("data-csrf"), "Accept": "text/html"}
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (number !== sent) { return; }  // a newer preview is on its way
      target.innerHTML = html;  // already sanitised by the server, exactly as published
      if (status) { status.textContent = source.getAttribute("data-msg-updated"); }
    }).catch(function () {
      if (status) { status.textContent = source.getAttribute("data-msg-failed"); }
    });
  }

  if (source && target) {
    source.addEventListener("input", function () {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, 600);
    });
  }

  // ---- unsaved changes: warn before leaving the editor
  var editor = document.getElementById("module-form");
  if (editor) {
    editor.addEventListener("input", function () { dirty = true; });
    editor.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // ---- image upload: send with fetch and paste the Markdown at the cursor
  var upload = document.getElementById("image-upload");
  if (upload) {
    var result = document.getElementById("upload-result");
    upload.addEventListener("submit", function (event) {
      var input = upload.querySelector("input[type=file]");
      var file = input && input.files && input.files[0];
      var max = parseInt(upload.getAttribute("data-max-bytes"), 10);
      if (file && max && file.size > max) {
        event.preventDefault();
        result.textContent = upload.getAttribute("data-too-large");
        result.className = "upload-result error";
        return;
      }
      var into = document.getElementById(upload.getAttribute("data-insert-into") || "");
      if (!into) { return; }  // the images page: a normal post shows the list again
      event.preventDefault();
      result.textContent = upload.getAttribute("data-msg-uploading");
      result.className = "upload-result";
      fetch(upload.action, {
        method: "POST", credentials: "same-origin", body: new FormData(upload),
        headers: {"Accept": "application/json"}
      }).then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      }).then(function (reply) {
        if (!reply.ok) { throw new Error(reply.data.error || upload.getAttribute("data-msg-refused")); }
        var snippet = reply.data.markdown;
        var start = into.selectionStart || into.value.length;
        var end = into.selectionEnd || start;
        var before = into.value.slice(0, start);
        var glue = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
        into.value = before + glue + snippet + "\n" + into.value.slice(end);
        into.dispatchEvent(new Event("input"));
        result.textContent = upload.getAttribute("data-msg-saved")
          .replace("%(kb)s", String(Math.max(1, Math.round(reply.data.bytes / 1024)))) + " " + snippet;
        upload.reset();
      }).catch(function (error) {
        result.textContent = error.message || upload.getAttribute("data-msg-refused");
        result.className = "upload-result error";
      });
    });
  }

  // ---- quiz errors: select the offending line in the textarea
  Array.prototype.forEach.call(document.querySelectorAll("a[data-line]"), function (link) {
    link.addEventListener("click", function (event) {
      var area = document.getElementById(link.getAttribute("data-target"));
      var line = parseInt(link.getAttribute("data-line"), 10);
      if (!area || !line) { return; }
      event.preventDefault();
      var lines = area.value.split("\n");
      var start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
      area.focus();
      area.setSelectionRange(start, start + (lines[line - 1] || "").length);
      var height = area.scrollHeight / Math.max(lines.length, 1);
      area.scrollTop = Math.max(0, (line - 5) * height);
    });
  });

  // ---- copy buttons and confirmations
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-msg-copied");
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();

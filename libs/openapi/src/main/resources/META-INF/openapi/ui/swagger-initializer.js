// Renders the service's OpenAPI document, whose URL the page names in data-document. A file of its own, not an
// inline script: the page's Content-Security-Policy allows scripts from the service only.
window.addEventListener("load", function () {
    "use strict";
    var root = document.getElementById("swagger-ui");
    window.ui = SwaggerUIBundle({
        url: root.dataset.document,
        domNode: root,
        deepLinking: true,
        validatorUrl: null,
        presets: [SwaggerUIBundle.presets.apis],
        layout: "BaseLayout"
    });
});

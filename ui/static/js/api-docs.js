// The browsable API page: Swagger UI on our own OpenAPI document (served locally, no CDN).
const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({ url: root.dataset.specUrl, domNode: root, deepLinking: true });

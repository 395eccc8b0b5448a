"""证照核验 (public, no sign-in): by 证照标识 — typed, or the QR code on the licence pointing at
/licenses/verify/<identifier>/ — or by uploading the licence PDF or signed licence JSON a holder
downloaded; and the page behind a holder's time-limited share link.

Never cached: a revocation must show on the next load. What is shown of the holder is what the
verification service returns (a person's name masked), nothing more.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core.errors import InvalidInput, NotFound
from yiwang.licenses import identifiers
from yiwang.licenses.forms import UploadForm, VerifyForm
from yiwang.licenses.services.verification import license_verify_file, license_verify_identifier
from yiwang.licenses.services.wallet import share_link_resolve
from yiwang.licenses.verdicts import label_of


def _page(request, *, verify_form, upload_form, result=None, status: int = 200):
    verify_form.mark_invalid_fields()
    upload_form.mark_invalid_fields()
    context = {"verify_form": verify_form, "upload_form": upload_form, "result": result}
    if result is not None:
        context["verdict"] = label_of(result.status)
    return render(request, "licenses/verify.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """GET: the two forms; with ?identifier= the typed identifier is checked and, when well
    formed, sent on to its own page. POST: an uploaded licence PDF or signed licence JSON,
    checked offline."""
    verify_form, upload_form = VerifyForm(), UploadForm()
    if request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            document = upload_form.cleaned_data["document"].read()
            try:
                result = license_verify_file(document)
            except InvalidInput as error:
                upload_form.add_service_errors(error)
            else:
                return _page(request, verify_form=verify_form, upload_form=UploadForm(), result=result)
        return _page(request, verify_form=verify_form, upload_form=upload_form, status=400)
    if "identifier" not in request.GET:
        return _page(request, verify_form=verify_form, upload_form=upload_form)
    verify_form = VerifyForm(request.GET)
    if not verify_form.is_valid():
        return _page(request, verify_form=verify_form, upload_form=upload_form, status=400)
    typed = verify_form.cleaned_data["identifier"]
    try:
        normal = identifiers.validate_identifier(typed)
    except identifiers.InvalidIdentifier:
        # Malformed or a wrong check character: shown here, with the reason, as 伪造或无效.
        result = license_verify_identifier(typed)
        return _page(request, verify_form=verify_form, upload_form=upload_form, result=result)
    return redirect("licenses:verify_result", identifier=normal)


@never_cache
@require_GET
def verify_result(request, identifier: str):
    """The page the licence's QR code points at."""
    result = license_verify_identifier(identifier)
    return _page(
        request,
        verify_form=VerifyForm(initial={"identifier": result.identifier or identifier[:256]}),
        upload_form=UploadForm(),
        result=result,
        status=404 if result.status == "not_found" else 200,
    )


@never_cache
@require_GET
def shared(request, token: str):
    """A holder's share link: the verification result with the holder's full name and 证照编号
    (the holder chose to show them); 410 once the link has expired or was withdrawn."""
    try:
        view = share_link_resolve(token)
    except NotFound:
        return render(request, "licenses/shared_gone.html", status=410)
    context = {"shared": view, "result": view.result, "verdict": label_of(view.result.status)}
    return render(request, "licenses/shared.html", context)

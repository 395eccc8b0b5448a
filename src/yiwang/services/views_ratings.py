"""好差评 pages for the public (STANDARDS §5): 一事一评 by the applicant after 办结, 一次一评 from
a phone through the receipt's QR code (no sign-in), and the public aggregate ratings.

Thin: parse → one service or selector → render. Another person's application is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core import errors
from yiwang.services.forms_ratings import OnlineRatingForm, WindowRatingForm
from yiwang.services.models import ApplicationStatus, Rating, RatingChannel
from yiwang.services.models.ratings import INDICATORS
from yiwang.services.selectors_ratings import application_for_rating, rating_summary_public
from yiwang.services.services.ratings import application_for_token, rating_submit_online, rating_submit_window


def _link(name: str, *args) -> str:
    """A page of another area of the package, if it is there (urls are added area by area)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _submit(form, write) -> int:
    """Run the service for a valid form; the status to render with when it refuses."""
    if not form.is_valid():
        return 400
    try:
        write(form)
    except errors.InvalidInput as invalid:
        form.add_service_errors(invalid)
        return 400
    except errors.Conflict as conflict:
        form.add_error(None, conflict.message)
        return 409
    return 0


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, application_id: int):
    """一事一评: the five indicators and a comment, once the application is 办结."""
    try:
        application, rating = application_for_rating(actor=request.user, application_id=application_id)
    except errors.NotFound:
        raise Http404() from None
    form, status = None, 200
    if rating is None and application.status == ApplicationStatus.COMPLETED:
        form = OnlineRatingForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            status = _submit(
                form,
                lambda f: rating_submit_online(
                    actor=request.user, application=application, **f.service_kwargs()
                ),
            )
            if not status:
                return redirect("services:rate", application_id=application.pk)
        form.mark_invalid_fields()
    context = {
        "application": application,
        "rating": rating,
        "indicator_rows": [(label, (rating.indicators or {}).get(key)) for key, label in INDICATORS.items()]
        if rating
        else [],
        "form": form,
        "completed": application.status == ApplicationStatus.COMPLETED,
        "application_url": _link("services:my_application", application.pk),
    }
    return render(request, "services/ratings/rate.html", context, status=status or 200)


@require_http_methods(["GET", "POST"])
def rate_window(request, token: str):
    """一次一评 on a phone: no sign-in; the signed token names the application."""
    try:
        application = application_for_token(token)
    except errors.InvalidInput as invalid:
        return render(request, "services/ratings/rate_window.html", {"error": invalid.message}, status=400)
    rated = Rating.objects.filter(application=application, channel=RatingChannel.WINDOW).exists()
    form, status = None, 200
    if not rated:
        form = WindowRatingForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            actor = request.user if request.user.is_authenticated else None
            status = _submit(
                form,
                lambda f: rating_submit_window(
                    token=token,
                    level=f.cleaned_data["level"],
                    comment=f.cleaned_data.get("comment", ""),
                    actor=actor,
                ),
            )
            if not status:
                return redirect("services:rate_window", token=token)
        form.mark_invalid_fields()
    context = {"application": application, "form": form, "rated": rated, "item_name": application.item.name}
    return render(request, "services/ratings/rate_window.html", context, status=status or 200)


@require_GET
def ratings_public(request):
    """好差评公示: numbers per department and per item — no comment, no name."""
    context = {
        "departments": rating_summary_public(by="department"),
        "items": rating_summary_public(by="item"),
    }
    return render(request, "services/ratings/public.html", context)

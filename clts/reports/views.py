"""The portal home: a role-aware landing page with aggregate figures only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clts.accounts import access
from clts.reports import queries


@login_required
@require_GET
def home(request):
    access.require(request.user, "portal.view")
    figures = queries.home_figures(user=request.user) if access.can(request.user, "dashboard.view") else None
    return render(request, "portal/home.html", {"figures": figures})

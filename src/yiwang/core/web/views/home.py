from django.shortcuts import render


def portal_home(request):
    """门户首页: what the platform offers; shortcuts once signed in."""
    return render(request, "web/portal_home.html")

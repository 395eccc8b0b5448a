"""Error pages in the same shell, in the person's language (Chinese by default); never a stack trace."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def not_found(request, exception=None):
    return render(
        request,
        "web/error.html",
        {"title": _("页面不存在"), "message": _("页面不存在或您无权查看。")},
        status=404,
    )


def forbidden(request, exception=None):
    return render(
        request,
        "web/error.html",
        {"title": _("没有权限"), "message": _("您没有权限执行此操作。")},
        status=403,
    )


def bad_request(request, exception=None):
    return render(
        request, "web/error.html", {"title": _("请求无效"), "message": _("请求格式有误。")}, status=400
    )


def server_error(request):
    return render(
        request,
        "web/error.html",
        {"title": _("服务器错误"), "message": _("服务器内部错误，已记录，请稍后再试。")},
        status=500,
    )

from yiwang.core.notify import services
from yiwang.core.notify.models import Delivery


def test_the_message_log_is_visible_in_the_admin_and_cannot_be_edited(client, sys_admin, citizen):
    services.notify(recipient=citizen, title="办结通知")
    delivery = Delivery.objects.get()
    client.force_login(sys_admin)
    assert client.get("/admin/notify/delivery/").status_code == 200
    assert client.get("/admin/notify/delivery/add/").status_code == 403
    assert client.post(f"/admin/notify/delivery/{delivery.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Delivery.objects.filter(pk=delivery.pk).exists()

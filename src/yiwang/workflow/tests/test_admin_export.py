"""The admin shows each stored process version as a diagram and offers its BPMN 2.0 export."""

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from yiwang.core.tests import factories
from yiwang.workflow.models import ProcessDefinitionVersion

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@pytest.fixture
def stored(db):
    call_command("workflow", "load", verbosity=0)
    return ProcessDefinitionVersion.objects.filter(is_current=True).first()


def test_administrator_sees_the_diagram_and_downloads_bpmn(client, stored):
    client.force_login(factories.create_sys_admin())
    page = client.get(f"/admin/workflow/processdefinitionversion/{stored.pk}/change/").content.decode()
    assert "<svg" in page and "下载 BPMN 2.0 XML" in page
    response = client.get(f"/admin/workflow/processdefinitionversion/{stored.pk}/bpmn/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-v{stored.version}.bpmn"')
    root = ET.fromstring(response.content)
    assert root.tag == f"{BPMN}definitions"
    assert root.findall(f".//{BPMN}userTask")


def test_an_official_without_admin_access_cannot_download(client, stored):
    client.force_login(factories.create_official(role="window_clerk"))
    response = client.get(f"/admin/workflow/processdefinitionversion/{stored.pk}/bpmn/")
    assert response.status_code == 302  # to the admin login, like every admin page

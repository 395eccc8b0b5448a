"""Chinese first: the browser's Accept-Language does not switch the platform to English;
only the person's own choice with the language switch does."""


def test_english_browser_still_gets_chinese_pages(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "用户名或手机号" in response.content.decode()


def test_the_language_switch_gives_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, follow=True)
    assert response["Content-Language"] == "en"
    assert "用户名或手机号" not in response.content.decode()

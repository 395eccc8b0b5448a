"""Pages of the electronic-licence library, mounted at the site root (config/urls.py):
证照核验 and shared links are public, 我的证照 is the holder's, /workbench/licenses/ the
officials'."""

from django.urls import path

from yiwang.licenses import views_keys_types as keys_types
from yiwang.licenses import views_lookup, views_official, views_public, views_seal, views_wallet

app_name = "licenses"

urlpatterns = [
    path("licenses/verify/", views_public.verify, name="verify"),
    path("licenses/verify/<str:identifier>/", views_public.verify_result, name="verify_result"),
    path("licenses/shared/<str:token>/", views_public.shared, name="shared"),
    path("me/licenses/", views_wallet.wallet, name="wallet"),
    path("me/licenses/uses/", views_wallet.wallet_uses, name="wallet_uses"),
    path("me/licenses/<int:license_id>/", views_wallet.wallet_detail, name="wallet_detail"),
    path("me/licenses/<int:license_id>/pdf/", views_wallet.wallet_pdf, name="wallet_pdf"),
    path("me/licenses/<int:license_id>/signed.json", views_wallet.wallet_signed, name="wallet_signed"),
    path("me/licenses/<int:license_id>/share/", views_wallet.wallet_share, name="wallet_share"),
    path(
        "me/licenses/<int:license_id>/shares/<int:share_id>/revoke/",
        views_wallet.wallet_share_revoke,
        name="wallet_share_revoke",
    ),
    path("workbench/licenses/", views_official.office_list, name="office_list"),
    path("workbench/licenses/lookup/", views_lookup.lookup, name="office_lookup"),
    path("workbench/licenses/seal/", views_seal.seal_page, name="office_seal"),
    path("workbench/licenses/seal/<int:department_id>/", views_seal.seal_upload, name="office_seal_upload"),
    path("workbench/licenses/keys/", keys_types.keys_page, name="office_keys"),
    path(
        "workbench/licenses/keys/<int:department_id>/generate/",
        keys_types.key_generate,
        name="office_key_generate",
    ),
    path("workbench/licenses/keys/<int:key_pk>/revoke/", keys_types.key_revoke, name="office_key_revoke"),
    path("workbench/licenses/types/", keys_types.types_page, name="office_types"),
    path("workbench/licenses/types/new/", keys_types.type_create, name="office_type_create"),
    path("workbench/licenses/types/<int:type_id>/", keys_types.type_edit, name="office_type_edit"),
    path("workbench/licenses/issue/", views_official.office_issue, name="office_issue"),
    path("workbench/licenses/<int:license_id>/", views_official.office_detail, name="office_detail"),
    path("workbench/licenses/<int:license_id>/revoke/", views_official.office_revoke, name="office_revoke"),
    path("workbench/licenses/<int:license_id>/revise/", views_official.office_revise, name="office_revise"),
]

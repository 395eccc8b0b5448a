"""一网通办 models: the catalogue (事项), applications (办件), bundles (一件事), ratings (好差评)."""

from yiwang.services.models.applications import (  # noqa: F401
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    Channel,
    CorrectionNotice,
    DecisionDocument,
    DeliveryMethod,
    MaterialSource,
    NumberCounter,
    Outcome,
    PersonalMaterial,
)
from yiwang.services.models.bundles import Bundle, BundleApplication, BundleItem, BundleStatus  # noqa: F401
from yiwang.services.models.catalogue import (  # noqa: F401
    ExerciseLevel,
    HandlingForm,
    HandlingKind,
    ItemMaterial,
    ItemStatus,
    ItemType,
    LifeEvent,
    LimitUnit,
    MaterialForm,
    ResultKind,
    Scope,
    ServiceItem,
    ServiceItemVersion,
    ServiceWindow,
    SubjectKind,
    Theme,
    VersionStatus,
)
from yiwang.services.models.ratings import (  # noqa: F401
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
)

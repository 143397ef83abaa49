"""Resolution: claims → deals (tranches, orders), contradictions, cumulative checks."""
from .cumulative import check_cumulative, cumulative_status
from .contradictions import find_contradictions
from .deals import (GROUPS, assign_deals, build_deal, build_tranches, category_group, date_bounds,
                    dates_compatible, deal_key, equipment_key, make_deal_id, normalise_designation)

__all__ = ["GROUPS", "assign_deals", "build_deal", "build_tranches", "category_group", "check_cumulative",
           "cumulative_status", "date_bounds", "dates_compatible", "deal_key", "equipment_key",
           "find_contradictions", "make_deal_id", "normalise_designation"]

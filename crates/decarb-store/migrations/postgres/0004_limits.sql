-- Upper bounds of issue 14 (docs/limits.md) held by the database too, so that no writer that
-- skips decarb's own checks can store an infinite or absurd number: a plant's or unit's capacity
-- at most 100 Mt/yr (decarb_data::limits::MAX_CAPACITY_TPA), a project's at most 1e9 in its unit
-- (decarb_store::limits::MAX_PROJECT_CAPACITY), a member's name at most 300 characters.
-- NOT VALID: rows already stored are not re-checked (a store may predate the bounds).
ALTER TABLE plant_state ADD CONSTRAINT plant_state_capacity_max CHECK (capacity_tpa <= 1e8) NOT VALID;
ALTER TABLE plant_unit ADD CONSTRAINT plant_unit_capacity_max CHECK (capacity_tpa <= 1e8) NOT VALID;
ALTER TABLE project_state ADD CONSTRAINT project_state_capacity_max CHECK (capacity_value <= 1e9) NOT VALID;
ALTER TABLE member ADD CONSTRAINT member_name_length CHECK (length(name) <= 300) NOT VALID;

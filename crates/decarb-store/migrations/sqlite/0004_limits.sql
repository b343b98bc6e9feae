-- Upper bounds of issue 14 (docs/limits.md) held by the database too, so that no writer that
-- skips decarb's own checks can store an infinite or absurd number: a plant's or unit's capacity
-- at most 100 Mt/yr (decarb_data::limits::MAX_CAPACITY_TPA), a project's at most 1e9 in its unit
-- (decarb_store::limits::MAX_PROJECT_CAPACITY), a member's name at most 300 characters. SQLite
-- cannot add a CHECK to an existing table, so these are triggers with a CHECK-like message.
CREATE TRIGGER plant_state_capacity_max_insert BEFORE INSERT ON plant_state
WHEN NEW.capacity_tpa > 1e8 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_tpa'); END;
CREATE TRIGGER plant_state_capacity_max_update BEFORE UPDATE OF capacity_tpa ON plant_state
WHEN NEW.capacity_tpa > 1e8 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_tpa'); END;
CREATE TRIGGER plant_unit_capacity_max_insert BEFORE INSERT ON plant_unit
WHEN NEW.capacity_tpa > 1e8 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_tpa'); END;
CREATE TRIGGER plant_unit_capacity_max_update BEFORE UPDATE OF capacity_tpa ON plant_unit
WHEN NEW.capacity_tpa > 1e8 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_tpa'); END;
CREATE TRIGGER project_state_capacity_max_insert BEFORE INSERT ON project_state
WHEN NEW.capacity_value > 1e9 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_value'); END;
CREATE TRIGGER project_state_capacity_max_update BEFORE UPDATE OF capacity_value ON project_state
WHEN NEW.capacity_value > 1e9 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: capacity_value'); END;
CREATE TRIGGER member_name_length_insert BEFORE INSERT ON member
WHEN length(NEW.name) > 300 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: name'); END;
CREATE TRIGGER member_name_length_update BEFORE UPDATE OF name ON member
WHEN length(NEW.name) > 300 BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: name'); END;

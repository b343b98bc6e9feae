//! A table on a terminal: fitted to its width (long text wrapped and cut, numbers whole), or
//! one block of `column value` lines per row when the columns cannot fit (issue 17).

use super::{Cell, Fit, MAX_ROW_LINES, Table};

impl Table {
    pub(super) fn terminal_table(&self, fit: Fit) -> String {
        use comfy_table::{ColumnConstraint, ContentArrangement, Width};
        let mut table = comfy_table::Table::new();
        table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        table.set_header(&self.columns);
        let width = match fit {
            Fit::Unwrapped => None,
            Fit::Width(width) => Some(width),
            // A pseudo-terminal may report a width of 0: too narrow to be real, so unwrapped.
            Fit::Terminal => table.width().filter(|&w| w >= super::MIN_WIDTH),
        };
        let Some(width) = width else {
            for row in &self.rows {
                table.add_row(Self::cells(row));
            }
            return table.to_string();
        };
        // Each column at least as wide as its widest number (a number is never broken over
        // lines) and its header or text up to 10 characters; when that does not fit the width, one
        // block of `column value` lines per row instead (psql's expanded display).
        let minimum: Vec<u16> = (0..self.columns.len()).map(|i| self.minimum_width(i)).collect();
        let needed: usize = minimum.iter().map(|&w| usize::from(w) + 3).sum::<usize>() + 1;
        if needed > usize::from(width) {
            return self.expanded(width);
        }
        table.set_width(width).set_content_arrangement(ContentArrangement::Dynamic);
        table.set_truncation_indicator("...");
        for row in &self.rows {
            let mut line = Self::cells(row);
            line.max_height(MAX_ROW_LINES);
            table.add_row(line);
        }
        for (column, &min) in table.column_iter_mut().zip(&minimum) {
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(min)));
        }
        table.to_string()
    }

    fn cells(row: &[Cell]) -> comfy_table::Row {
        comfy_table::Row::from(row.iter().map(|cell| {
            let content = comfy_table::Cell::new(cell.display());
            if cell.is_numeric() { content.set_alignment(comfy_table::CellAlignment::Right) } else { content }
        }))
    }

    /// The narrowest column `i` may be: its widest number, its header and text up to 10 characters.
    fn minimum_width(&self, i: usize) -> u16 {
        let chars = |text: &str| text.chars().count();
        let number =
            self.rows.iter().filter_map(|r| r.get(i)).filter(|c| c.is_numeric()).map(|c| chars(&c.display()));
        let text = self
            .rows
            .iter()
            .filter_map(|r| r.get(i))
            .filter(|c| !c.is_numeric())
            .map(|c| chars(&c.display()));
        let header = self.columns.get(i).map_or(0, |h| chars(h));
        let widest = number.max().unwrap_or(0).max(text.chain([header]).max().unwrap_or(0).min(10));
        u16::try_from(widest).unwrap_or(u16::MAX)
    }

    /// One block per row: a rule naming the row, then `column  value` lines, values wrapped to
    /// `width`.
    fn expanded(&self, width: u16) -> String {
        use comfy_table::{ColumnConstraint, ContentArrangement, Width};
        let label = self.columns.iter().map(|c| c.chars().count()).max().unwrap_or(0);
        let mut text = String::new();
        for (n, row) in self.rows.iter().enumerate() {
            let title = format!("── {} of {} ", n + 1, self.rows.len());
            let rule = usize::from(width).saturating_sub(title.chars().count()).min(40);
            text.push_str(&title);
            text.push_str(&"─".repeat(rule));
            text.push('\n');
            let mut block = comfy_table::Table::new();
            block.load_preset(comfy_table::presets::NOTHING);
            block.set_width(width).set_content_arrangement(ContentArrangement::Dynamic);
            for (column, cell) in self.columns.iter().zip(row) {
                block.add_row([column.clone(), cell.display()]);
            }
            if let Some(first) = block.column_mut(0) {
                first.set_constraint(ColumnConstraint::Absolute(Width::Fixed(
                    u16::try_from(label).unwrap_or(20).saturating_add(2),
                )));
            }
            for line in block.to_string().lines() {
                text.push_str(line.trim_end());
                text.push('\n');
            }
        }
        text.trim_end().to_owned()
    }
}

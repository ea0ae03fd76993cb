// The one CSV writer: what it writes reads back as the same cells, and no
// cell can become a spreadsheet formula or shift the columns after it.
#include <gtest/gtest.h>

#include "util/csv.hpp"

namespace pk {
namespace {

TEST(CsvWriter, QuotesSeparatorsQuotesAndLineBreaks) {
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell("a;b", ';'), "\"a;b\"");
}

TEST(CsvWriter, NeutralisesFormulasButKeepsNumbers) {
  EXPECT_EQ(csv_cell("=1+1"), "'=1+1");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("+cmd"), "'+cmd");
  EXPECT_EQ(csv_cell("-cmd"), "'-cmd");
  EXPECT_EQ(csv_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_cell("-1.5"), "-1.5");
  EXPECT_EQ(csv_cell("+3e2"), "+3e2");
  EXPECT_EQ(csv_cell("-"), "'-");
  EXPECT_EQ(csv_cell("- 1"), "'- 1");
}

TEST(CsvWriter, AHostileNameStaysOneCellAndReadsBack) {
  const std::string name = "=HYPERLINK(\"http://evil.example\",\"x\")";
  std::string out;
  csv_row(out, {name, "fatalities", "1.5"});
  std::vector<CsvRecord> records;
  std::string error;
  ASSERT_TRUE(read_csv(out, records, error)) << error;
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(records[0].fields.size(), 3u);
  EXPECT_EQ(records[0].fields[0], "'" + name);
  EXPECT_EQ(records[0].fields[2], "1.5");
}

}  // namespace
}  // namespace pk

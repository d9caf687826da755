using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TimelineAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the timeline is an audit trail. Even a bug or an operator with sqlite3 must not be
            // able to rewrite or remove events; the store itself has no update/delete API for them.
            migrationBuilder.Sql(@"
CREATE TRIGGER timeline_events_no_update
BEFORE UPDATE ON timeline_events
BEGIN
    SELECT RAISE(ABORT, 'timeline_events is append-only: UPDATE is not allowed');
END;");
            migrationBuilder.Sql(@"
CREATE TRIGGER timeline_events_no_delete
BEFORE DELETE ON timeline_events
BEGIN
    SELECT RAISE(ABORT, 'timeline_events is append-only: DELETE is not allowed');
END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS timeline_events_no_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS timeline_events_no_update;");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TimelineAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written: the timeline is an audit trail. Even a bug or an operator with psql must not be
            // able to rewrite or remove events; the store itself has no update/delete API for them.
            migrationBuilder.Sql(@"
CREATE FUNCTION timeline_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'timeline_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;");
            migrationBuilder.Sql(@"
CREATE TRIGGER timeline_events_no_update_delete
    BEFORE UPDATE OR DELETE ON timeline_events
    FOR EACH ROW EXECUTE FUNCTION timeline_events_append_only();");
            migrationBuilder.Sql(@"
CREATE TRIGGER timeline_events_no_truncate
    BEFORE TRUNCATE ON timeline_events
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_events_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS timeline_events_no_truncate ON timeline_events;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS timeline_events_no_update_delete ON timeline_events;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS timeline_events_append_only();");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OneOpenRequestPerPlan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Duplicates made before the index existed would make it fail to build: of several open requests for
            // the same (incident, plan), keep the one furthest along (approved or executing) or else the newest,
            // and expire the other pending ones. Nothing had run for them, so nothing is lost.
            migrationBuilder.Sql(@"UPDATE remediation_requests SET state = 'Expired', result_summary = 'Expired by the OneOpenRequestPerPlan migration: another open request for the same fix exists', version = version + 1
WHERE state = 'Pending' AND EXISTS (
    SELECT 1 FROM remediation_requests o
    WHERE o.incident_id = remediation_requests.incident_id AND o.plan_id = remediation_requests.plan_id AND o.id <> remediation_requests.id
      AND o.state IN ('Pending', 'Approved', 'Executing')
      AND (o.state <> 'Pending' OR o.created_at > remediation_requests.created_at OR (o.created_at = remediation_requests.created_at AND o.id > remediation_requests.id)))");

            migrationBuilder.CreateIndex(
                name: "ux_remediation_requests_open_plan",
                table: "remediation_requests",
                columns: new[] { "incident_id", "plan_id" },
                unique: true,
                filter: "state IN ('Pending', 'Approved', 'Executing')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_remediation_requests_open_plan",
                table: "remediation_requests");
        }
    }
}

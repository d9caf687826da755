using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ApproverPeople : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "approver_person_id",
                table: "remediation_approvals",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_remediation_approvals_request_id_approver_person_id",
                table: "remediation_approvals",
                columns: new[] { "request_id", "approver_person_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_remediation_approvals_request_id_approver_person_id",
                table: "remediation_approvals");

            migrationBuilder.DropColumn(
                name: "approver_person_id",
                table: "remediation_approvals");
        }
    }
}

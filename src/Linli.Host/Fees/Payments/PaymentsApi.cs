using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Fees.Payments;

/// <param name="Flat">"3栋502".</param>
/// <param name="Month">Optional: the month paid for ("2026-10"); otherwise the oldest owed first.</param>
public sealed record CounterPayment(string? Flat, decimal? Amount, PaymentMethod? Method, string? Month);

public sealed record PaymentView(
    string Id,
    string ReceiptNumber,
    string Flat,
    decimal Amount,
    decimal Prepaid,
    PaymentMethod Method,
    string Source,
    DateTimeOffset PaidAt,
    PaymentLine[] Lines);

/// <summary>
/// The office records payments: statement imports (preview, then apply) and the counter. Staff of the community;
/// audited.
/// </summary>
public static class PaymentsApi
{
    public const int MaxFileBytes = 5 * 1024 * 1024;

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api/communities/{communityId}/payments").WithTags("Fees")
            .RequireAuthorization(AuthApi.ServicePolicy).RequireRateLimiting(Hosting.RateLimits.Writes)
            .RequireStaffOf();
        staff.MapPost("/import", ImportAsync).DisableAntiforgery()
            .WithSummary("Import a WeChat Pay, Alipay or bank statement "
                + "(CSV body; ?source=wechat|alipay|bank; ?apply=true to record, else a preview)");
        staff.MapPost("", Record)
            .WithSummary("A payment taken at the office counter: a receipt number, the bills it settles");
        return routes;
    }

    private static async Task<Ok<ImportReport>> ImportAsync(
        string communityId,
        string? source,
        bool? apply,
        HttpRequest request,
        ClaimsPrincipal user,
        PaymentLedger ledger,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxFileBytes) throw TooLarge();
        string csv;
        using (var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8))
        {
            var buffer = new char[MaxFileBytes + 1];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            if (read > MaxFileBytes) throw TooLarge();
            csv = new string(buffer, 0, read);
        }
        var report = ledger.Import(communityId, source ?? "", csv, apply == true);
        if (report.Applied)
            audit.Record(user, "payments.import", source!,
                $"{report.Accepted} of {report.Rows} rows, {report.AcceptedAmount:0.00} yuan");
        return TypedResults.Ok(report);
    }

    private static Created<PaymentView> Record(
        string communityId,
        CounterPayment request,
        ClaimsPrincipal user,
        PaymentLedger ledger,
        AuditTrail audit)
    {
        var (payment, flat) = ledger.Record(communityId, request.Flat ?? "", request.Amount ?? 0,
            request.Method ?? PaymentMethod.Cash, request.Month);
        audit.Record(user, "payments.counter", payment.ReceiptNumber,
            $"{payment.Amount + payment.Prepaid:0.00} yuan, {payment.UnitId}");
        var view = new PaymentView(payment.Id, payment.ReceiptNumber, flat, payment.Amount, payment.Prepaid,
            payment.Method, payment.Source, payment.PaidAt, [.. payment.Lines]);
        var location = $"/api/communities/{communityId}/payments/{Uri.EscapeDataString(payment.Id)}";
        return TypedResults.Created(location, view);
    }

    private static DomainProblem TooLarge() => new(413, "fees.statement_too_large");
}

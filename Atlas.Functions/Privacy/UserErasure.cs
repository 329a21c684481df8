using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Companies;
using Atlas.Functions.Ledger;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Functions.Notifications.Providers;
using Atlas.Functions.Payments;
using Atlas.Functions.Stripe;

namespace Atlas.Functions.Privacy;

/// <summary>
/// Carries out <see cref="EraseUser"/>: ends and deletes the user's sessions, forgets their devices and card, deletes
/// their Stripe customer, takes them out of their company (a driver's connected account stays with their ledger, so
/// what they are owed later is still paid), unlinks the texts sent to their phone, and deletes their profile. Rides,
/// bookings, escrows and the ledger stay: they hold the bare user id, which names nobody once these are gone. Every
/// step can run again, so a redelivered effect finishes what a crash left.
/// </summary>
public sealed class UserErasure(
    Erasures erasures,
    UserSessions sessionIndex,
    Lifecycle<Session, SessionCommand> sessions,
    Devices devices,
    PaymentProfiles cards,
    IStripeApi stripe,
    CompanyStore companies,
    DriverLocator locator,
    LedgerStore ledger,
    SmsLog texts,
    UserProfiles profiles,
    TimeProvider clock,
    ILogger<UserErasure> logger) : IEffectHandler<EraseUser>
{
    public async Task<object?> HandleAsync(EraseUser effect, EffectContext context, CancellationToken ct)
    {
        var userId = effect.UserId;
        await erasures.RecordAsync(userId, clock.GetUtcNow(), ct);
        foreach (var sessionId in await sessionIndex.ListAsync(userId, ct))
        {
            await sessions.DeleteAsync(sessionId, ct);
            await sessionIndex.RemoveAsync(userId, sessionId, ct);
        }

        await devices.RemoveAllAsync(userId, ct);
        await ForgetCardAsync(userId, ct);
        if (effect.Membership is { } membership)
        {
            await LeaveCompanyAsync(membership, ct);
        }

        await texts.ForgetPhoneAsync(effect.Phone, ct);
        await profiles.DeleteAsync(userId, ct);
        await erasures.CompleteAsync(userId, clock.GetUtcNow(), ct);
        logger.LogInformation("User {UserId} is erased", userId);
        return null;
    }

    private async Task ForgetCardAsync(string userId, CancellationToken ct)
    {
        if (await cards.FindAsync(userId, ct) is not { } card)
        {
            return;
        }

        // Deleted before (Stripe answered a try whose end a crash cut short): nothing is left to delete.
        var deleted = await stripe.DeleteCustomerAsync(card.CustomerId, ct);
        if (deleted.Error is { } error && error.Code != "resource_missing")
        {
            throw new InvalidOperationException($"Stripe refused to delete customer {card.CustomerId}: {error}");
        }

        await cards.DeleteAsync(userId, ct);
    }

    private async Task LeaveCompanyAsync(Membership membership, CancellationToken ct)
    {
        if (await companies.FindMemberAsync(membership.CompanyId, membership.MemberId, ct) is not { } member)
        {
            return;
        }

        if (member.Role == Role.Driver && await companies.FindDriverAsync(membership.CompanyId, member.Id, ct) is { } driver)
        {
            if (driver.PayoutAccountId is { } account)
            {
                await ledger.KeepPayoutAccountAsync(driver.Id, account, ct);
            }

            if (driver.Cell is { } cell)
            {
                await locator.RemoveAsync(cell, driver.Id, ct);
            }
        }

        await companies.RemoveMemberAsync(membership.CompanyId, member, ct);
    }
}

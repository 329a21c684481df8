using Atlas.Core.Common;
using Atlas.Core.Ledger;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using static Atlas.Core.Ledger.LedgerAccounts;

namespace Atlas.Tests.Payments.Ledger;

/// <summary>
/// Thousands of random rides through the escrow (declines, fees, completions, partial refunds, tips, disputes won and
/// lost) with settlement payouts and transfer reversals between the steps, booked the way the app books them; then
/// the double-entry invariants and the money each party ends with, checked against sums kept independently.
/// </summary>
public sealed class LedgerInvariantTests
{
    private const string Driver = "mb_d";
    private const string Currency = "GBP";

    [Theory]
    [InlineData(DisputeLossPolicy.Absorb, 1)]
    [InlineData(DisputeLossPolicy.Recover, 2)]
    public void Random_ride_refund_and_dispute_sequences_keep_every_invariant(DisputeLossPolicy policy, int seed)
    {
        var random = new Random(seed);
        for (var ride = 0; ride < 2_000; ride++)
        {
            new Simulation(random, policy, $"rd_{ride}").Run();
        }
    }

    [Fact]
    public void A_platform_fee_split_always_adds_up_to_the_whole()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var fee = new PlatformFee(random.Next(0, 10_001), random.Next(0, 1_000));
            var amount = random.NextInt64(0, 10_000_000);
            var (platform, driver) = fee.Split(amount);
            Assert.Equal(amount, platform + driver);
            Assert.InRange(platform, 0, amount);
        }
    }

    [Fact]
    public void An_unbalanced_transaction_cannot_be_made()
    {
        Assert.Throws<ArgumentException>(() => LedgerTransaction.Create("t", "x", Currency, null, null, DateTimeOffset.UnixEpoch, new(StripeClearing, 100), new(PlatformRevenue, -99)));
    }

    private sealed class Simulation(Random random, DisputeLossPolicy policy, string rideId)
    {
        private readonly EscrowDecider _decider = new(EscrowRules.Default with { DisputeLosses = policy });
        private readonly List<LedgerTransaction> _ledger = [];
        private readonly DateTimeOffset _start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        private Escrow _escrow = Escrow.None;
        private int _step;

        // What each party should end with, kept apart from the ledger.
        private long _captured;
        private long _tips;
        private long _refunded;
        private long _paidOut;
        private long _reversed;
        private long _disputeLoss;

        public void Run()
        {
            var price = random.NextInt64(100, 100_000);
            var fee = new PlatformFee(random.Next(0, 5_000), random.Next(0, 300));
            var terms = new EscrowTerms(rideId, "bk", "usr_r", Driver, "usr_d", "co", price, Currency, fee, "cus", "pm");
            Do(new OpenEscrow(terms));
            if (random.Next(10) == 0)
            {
                Do(new PaymentDeclined(1, null, "card_declined"));
                Do(new RideOver(RideStatus.Cancelled, 0));
                Check(driverShare: 0);
                return;
            }

            Do(new PaymentAuthorised(1, "pi_" + rideId, _escrow.Terms!.Price + 500, _start.AddDays(7)));
            MaybeSettle();
            var (outcome, due) = random.Next(4) switch
            {
                0 => (RideStatus.Cancelled, 0L),
                1 => (RideStatus.NoShow, 500L),
                _ => (RideStatus.Completed, price),
            };
            Do(new RideOver(outcome, due));
            if (due == 0)
            {
                Do(new PaymentReleased("pi_" + rideId));
                Check(driverShare: 0);
                return;
            }

            Do(new PaymentCaptured("pi_" + rideId, due));
            _captured = due;
            var driverShare = fee.Split(due).DriverShare;
            MaybeSettle();

            if (outcome == RideStatus.Completed && random.Next(3) == 0)
            {
                var tip = random.NextInt64(1, 2_000);
                Do(new AddTip("tip", tip));
                Do(new TipCharged("tip"));
                _tips = tip;
                MaybeSettle();
            }

            for (var r = random.Next(0, 4); r > 0 && _captured - _refunded > 0; r--)
            {
                var amount = random.NextInt64(1, _captured - _refunded + 1);
                Do(new RequestRefund($"rf{r}", amount));
                Do(new RefundSucceeded($"rf{r}"));
                _refunded += amount;
                Recover();
                MaybeSettle();
            }

            if (random.Next(3) == 0 && _captured - _refunded > 0)
            {
                var disputed = _captured - _refunded;
                Do(new DisputeOpened("dp", disputed));
                Recover();
                MaybeSettle();
                var won = random.Next(2) == 0;
                Do(new DisputeClosed("dp", won));
                _disputeLoss = won ? 0 : disputed;
                MaybeSettle();
            }

            Check(driverShare);
        }

        private void Do(EscrowCommand command)
        {
            var decision = Assert.IsType<Decision<Escrow>.Accepted>(_decider.Decide(_escrow, command, _start.AddMinutes(++_step)));
            _escrow = decision.State;
            _ledger.AddRange(decision.Effects.OfType<RecordLedger>().Select(r => r.Transaction));
        }

        /// <summary>Sometimes a settlement runs now and pays the driver's whole payable.</summary>
        private void MaybeSettle()
        {
            var payable = Balances.Of(_ledger).Payable(Driver, Currency);
            if (payable > 0 && random.Next(2) == 0)
            {
                _ledger.Add(Entries.Payout($"payout-{_step}", Currency, Driver, _start, payable, $"tr_{_step}"));
                _paidOut += payable;
            }
        }

        /// <summary>What a refund or dispute took back beyond the unpaid earnings comes back from the transfers made.</summary>
        private void Recover()
        {
            var owed = -Balances.Of(_ledger).Payable(Driver, Currency);
            var reversible = _paidOut - _reversed;
            var amount = Math.Min(owed, reversible);
            if (amount > 0)
            {
                _ledger.Add(Entries.TransferReversal($"reversal-{_step}", Currency, Driver, _start, amount, "tr"));
                _reversed += amount;
            }
        }

        private void Check(long driverShare)
        {
            var balances = Balances.Of(_ledger);
            Assert.All(_ledger, t => Assert.Equal(0, t.Postings.Sum(p => p.Amount)));
            Assert.Equal(_ledger.Count, _ledger.Select(t => t.Id).Distinct().Count());
            Assert.Equal(0, balances.Total(Currency));

            // Holds are memo entries, all released by the end.
            Assert.Equal(0, balances[CardAuthorisations, Currency]);
            Assert.Equal(0, balances[RiderFundsHeld, Currency]);

            // Stripe's balance: money in, money out.
            var disputeOpen = _escrow.Dispute is { Status: "open" } open ? open.Amount : 0;
            Assert.Equal(_captured + _tips - _refunded - _paidOut + _reversed - disputeOpen - _disputeLoss, balances[StripeClearing, Currency]);

            // The driver: their share less their part of refunds, plus tips, less a recovered dispute — paid, owed or frozen.
            var driverRefundPart = PlatformFee.Proportion(_refunded, driverShare, _captured);
            var recovered = _disputeLoss > 0 && policy == DisputeLossPolicy.Recover ? _escrow.Dispute!.Frozen : 0;
            var driverNet = driverShare - driverRefundPart + _tips - recovered;
            Assert.Equal(driverNet, balances.Payable(Driver, Currency) + balances.Held(Driver, Currency) + _paidOut - _reversed);
            Assert.InRange(driverRefundPart, 0, driverShare);
            if (_refunded == _captured)
            {
                Assert.Equal(driverShare, driverRefundPart);
            }

            // The platform: its fee less its part of refunds, less what disputes cost it.
            var platformFee = _captured - driverShare;
            Assert.Equal(platformFee - (_refunded - driverRefundPart), -balances[PlatformRevenue, Currency] - balances[Refunds, Currency]);
            Assert.Equal(_disputeLoss - recovered, balances[DisputeLosses, Currency]);
        }
    }
}

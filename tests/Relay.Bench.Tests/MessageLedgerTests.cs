namespace Relay.Bench.Tests;

/// <summary>The failover workload's accounts: what counts as delivered, answered, in doubt or lost.</summary>
public sealed class MessageLedgerTests
{
    [Fact]
    public void Sorts_every_message_by_what_its_recipient_saw_and_what_its_sender_was_told()
    {
        var ledger = new MessageLedger(senders: 2);
        // Sender 0 is on its second connection by the end; sender 1 on its first.
        int ConnectionOf(int sender) => sender == 0 ? 2 : 1;
        for (var seq = 0; seq < 6; seq++)
            ledger.Sending(0, seq, connection: seq < 4 ? 1 : 2);
        ledger.Sending(1, 0, connection: 1);
        ledger.Sending(1, 1, connection: 1);

        ledger.Received(0, 0);
        ledger.Delivered(0, 0);                          // delivered and confirmed
        ledger.NotDelivered(0, 1, "UNKNOWN_TARGET");     // answered with an error
        ledger.Received(0, 2);                           // no receipt (connection 1 ended) but seen
        // 0:3: no receipt, connection 1 ended, not seen: in doubt
        ledger.NotSent(0, 4);                            // the write failed under the sender
        ledger.Delivered(0, 5);                          // confirmed but never seen
        ledger.Received(1, 0);
        ledger.Received(1, 0);                           // seen twice
        // 1:1: no answer on a connection that is still there, not seen: lost without a word

        var tally = ledger.Count(ConnectionOf);

        Assert.Equal(8, tally.Sent);
        Assert.Equal(3, tally.Received);
        Assert.Equal(1, tally.Duplicated);
        Assert.Equal(2, tally.DeliveredReceipts);
        Assert.Equal(1, tally.DeliveredButNotSeen);
        Assert.Equal(1, tally.NotDelivered["UNKNOWN_TARGET"]);
        Assert.Equal(0, tally.NotDeliveredButSeen);
        Assert.Equal(2, tally.ConnectionClosedFirst);
        Assert.Equal(1, tally.ConnectionClosedFirstAndLost);
        Assert.Equal(1, tally.NotSent);
        Assert.Equal(1, tally.Unanswered);
    }

    [Fact]
    public void Counts_as_awaiting_only_receipts_due_on_a_senders_current_connection()
    {
        var ledger = new MessageLedger(senders: 1);
        ledger.Sending(0, 0, connection: 1);
        ledger.Sending(0, 1, connection: 2);
        ledger.Sending(0, 2, connection: 2);
        ledger.Delivered(0, 2);

        Assert.Equal(1, ledger.Awaiting(_ => 2));
    }
}

package org.arc4j.core.customer;

import java.util.List;
import java.util.Objects;
import org.arc4j.core.sla.SlaPolicy;

/**
 * A customer of the centre (客户): who is called, how urgent its alarms are, and what its service contract
 * promises (GA 1383 服务合同: response, verification and forwarding times).
 *
 * @param id          the centre's customer id
 * @param name        the name shown to operators
 * @param type        the kind of customer
 * @param address     the postal address
 * @param contacts    the contacts in call order
 * @param keyCustomer true for a key customer (GA 1383 重要客户): first within its priority class, video
 *                    verification required
 * @param contract    the customer's contract limits (GA 1383 defaults or tighter)
 */
public record Customer(String id, String name, CustomerType type, String address, List<Contact> contacts,
                       boolean keyCustomer, SlaPolicy contract) {
    /** Validates the parts and copies the contacts; a null contract means GA 1383's defaults. */
    public Customer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        address = address == null ? "" : address;
        contacts = List.copyOf(contacts);
        contract = contract == null ? SlaPolicy.ga1383() : contract;
    }
}

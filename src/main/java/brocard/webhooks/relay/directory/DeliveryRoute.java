package brocard.webhooks.relay.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

/** One way to reach a recipient. */
@Entity
@Table(name = "delivery_route")
public class DeliveryRoute extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "recipient_id")
    public Recipient recipient;

    /** Order within the recipient (as given by the operator). */
    @Column(nullable = false)
    public int position;

    @Enumerated(EnumType.STRING)
    @ColumnTransformer(read = "upper(channel)", write = "lower(?)")
    @Column(nullable = false)
    public Channel channel;

    @Column(nullable = false)
    public String target;

    /** The webhook channel's signing secret, AES-256-GCM (route-secret key); never returned by the API. */
    @Column(name = "secret_encrypted")
    public byte[] secretEncrypted;

    /** The kid of the master key that sealed {@link #secretEncrypted}; null: sealed before the keyring. */
    @Column(name = "secret_kid")
    public String secretKid;

    @Column(nullable = false)
    public boolean enabled;

    public String label;
}

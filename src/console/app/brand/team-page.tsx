import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { BRAND_MEMBER_ROLES, mayChangeRole, mayInvite, mayRemove, type BrandMemberRole } from '../../../auth/brand-permissions.ts';
import { useParams } from '../shell/router.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { ROLE_WORDS } from './brand-access.ts';
import { BrandFrame, NotForYourRole, useBrand } from './brand-frame.tsx';
import { formatDate, formatDateTime, words } from './format.ts';
import { FormErrors, Saved, SelectField, TextField } from './form-fields.tsx';
import { failureMessage } from './mutation-failure.ts';
import {
  BrandCancelInvitationMutation,
  BrandChangeMemberRoleMutation,
  BrandInviteMemberMutation,
  BrandRemoveMemberMutation,
  BrandTeamQuery,
} from './team.operations.ts';
import { noErrors, sortErrors } from './user-errors.ts';

const ACTIONS: Record<string, string> = {
  'brand.registered': 'registered the brand',
  'brand_team.invited': 'invited',
  'brand_team.invitation_cancelled': 'cancelled the invitation of',
  'brand_team.invitation_declined': 'declined the invitation',
  'brand_team.joined': 'joined',
  'brand_team.role_changed': 'changed the role of',
  'brand_team.member_removed': 'removed',
  'brand_team.left': 'left',
};

function InviteForm({ brandId, myRole, onInvited }: { brandId: string; myRole: BrandMemberRole; onInvited: () => void }) {
  const [result, invite] = useMutation(BrandInviteMemberMutation);
  const roles = BRAND_MEMBER_ROLES.filter((role) => mayInvite(myRole, role));
  const [role, setRole] = useState<BrandMemberRole>(roles.includes('AGENT') ? 'AGENT' : roles[0]!);
  const payload = result.data?.inviteBrandMember;
  const errors = payload ? sortErrors(payload.userErrors, ['subject', 'role']) : noErrors;
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const subject = String(new FormData(form).get('subject') ?? '').trim();
    const answer = await invite({ input: { brandId, subject, role } });
    if (answer.data?.inviteBrandMember.invitation) {
      form.reset();
      onInvited();
    }
  }
  return (
    <form className="brand-form" onSubmit={(event) => void submit(event)} aria-labelledby="invite-member">
      <h2 id="invite-member">Invite someone</h2>
      <TextField
        label="Their sign-in name"
        name="subject"
        required
        hint="The name they sign in with. They see the invitation when they sign in, for 14 days."
        errors={errors.byField.subject}
      />
      <SelectField
        label="Role"
        name="role"
        value={role}
        onChange={(e) => setRole(e.target.value as BrandMemberRole)}
        errors={errors.byField.role}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {ROLE_WORDS[r]}
          </option>
        ))}
      </SelectField>
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
      {payload?.invitation && (
        <Saved>
          Invited {payload.invitation.inviteeSubject} as {words(payload.invitation.role).toLowerCase()}, until{' '}
          {formatDate(payload.invitation.expiresAt)}.
        </Saved>
      )}
      <div>
        <button type="submit" disabled={result.fetching}>
          Send invitation
        </button>
      </div>
    </form>
  );
}

function MemberActions({
  brandId,
  myRole,
  member,
  onChanged,
}: {
  brandId: string;
  myRole: BrandMemberRole;
  member: { actor: { id: string; displayName: string }; role: BrandMemberRole };
  onChanged: () => void;
}) {
  const [changeResult, changeRole] = useMutation(BrandChangeMemberRoleMutation);
  const [removeResult, remove] = useMutation(BrandRemoveMemberMutation);
  const changeErrors = changeResult.data ? sortErrors(changeResult.data.changeBrandMemberRole.userErrors, ['role']) : noErrors;
  const removeErrors = removeResult.data ? sortErrors(removeResult.data.removeBrandMember.userErrors, []) : noErrors;
  const roleChanged = async (role: BrandMemberRole) => {
    const answer = await changeRole({ input: { brandId, actorId: member.actor.id, role } });
    if (answer.data?.changeBrandMemberRole.member) onChanged();
  };
  const removed = async () => {
    const answer = await remove({ input: { brandId, actorId: member.actor.id } });
    if (answer.data?.removeBrandMember.userErrors.length === 0) onChanged();
  };
  return (
    <div className="actions">
      {mayChangeRole(myRole) && (
        <SelectField
          label={`Role of ${member.actor.displayName}`}
          value={member.role}
          onChange={(e) => void roleChanged(e.target.value as BrandMemberRole)}
          errors={changeErrors.byField.role}
        >
          {BRAND_MEMBER_ROLES.map((r) => (
            <option key={r} value={r}>
              {words(r)}
            </option>
          ))}
        </SelectField>
      )}
      {mayRemove(myRole, member.role) && (
        <button type="button" className="secondary" onClick={() => void removed()} disabled={removeResult.fetching}>
          Remove {member.actor.displayName}
        </button>
      )}
      <FormErrors errors={changeErrors} failure={failureMessage(changeResult.error)} />
      <FormErrors errors={removeErrors} failure={failureMessage(removeResult.error)} />
    </div>
  );
}

function CancelInvitation({ id, subject, onChanged }: { id: string; subject: string; onChanged: () => void }) {
  const [result, cancel] = useMutation(BrandCancelInvitationMutation);
  const errors = result.data ? sortErrors(result.data.cancelBrandInvitation.userErrors, []) : noErrors;
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={result.fetching}
        onClick={() =>
          void (async () => {
            const answer = await cancel({ input: { invitationId: id } });
            if (answer.data?.cancelBrandInvitation.invitation) onChanged();
          })()
        }
      >
        Cancel invitation of {subject}
      </button>
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
    </>
  );
}

function Team() {
  const { slug = '' } = useParams();
  const brand = useBrand();
  const [{ data, fetching, error }, refetch] = useQuery({ query: BrandTeamQuery, variables: { slug } });
  if (!brand.may('team.view')) return <NotForYourRole />;
  if (fetching && !data) return <Loading what="the team" />;
  if (error) return <RequestFailed error={error} what="the team" />;
  const team = data?.brand?.team;
  if (!team) return <NotForYourRole />;
  const myRole = brand.myRole as BrandMemberRole;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <table className="data">
        <caption>Members</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Since</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {team.members.map((member) => (
            <tr key={member.actor.id}>
              <th scope="row">{member.actor.displayName}</th>
              <td>{words(member.role)}</td>
              <td>{formatDate(member.since)}</td>
              <td>
                <MemberActions brandId={brand.id} myRole={myRole} member={member} onChanged={reload} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Invitations waiting for an answer</h2>
      {team.invitations.length === 0 ? (
        <p>No invitation is waiting.</p>
      ) : (
        <table className="data">
          <caption>Pending invitations</caption>
          <thead>
            <tr>
              <th scope="col">Invited</th>
              <th scope="col">Role</th>
              <th scope="col">By</th>
              <th scope="col">Waits until</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {team.invitations.map((invitation) => (
              <tr key={invitation.id}>
                <th scope="row">{invitation.inviteeSubject}</th>
                <td>{words(invitation.role)}</td>
                <td>{invitation.invitedBy.displayName}</td>
                <td>{formatDate(invitation.expiresAt)}</td>
                <td>
                  {mayInvite(myRole, invitation.role) && (
                    <CancelInvitation id={invitation.id} subject={invitation.inviteeSubject} onChanged={reload} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {BRAND_MEMBER_ROLES.some((role) => mayInvite(myRole, role)) && <InviteForm brandId={brand.id} myRole={myRole} onInvited={reload} />}
      <h2>Recent changes</h2>
      <ul>
        {team.auditTrail.map((event, i) => (
          <li key={`${event.at}-${i}`}>
            {formatDateTime(event.at)}: {event.actor?.displayName ?? 'Someone'} {ACTIONS[event.action] ?? event.action}
            {event.member && event.member.displayName !== event.actor?.displayName ? ` ${event.member.displayName}` : ''}
            {event.role
              ? ` (${words(event.previousRole) !== '—' && event.previousRole ? `${words(event.previousRole)} → ` : ''}${words(event.role)})`
              : ''}
          </li>
        ))}
      </ul>
    </>
  );
}

export default function TeamPage() {
  return (
    <BrandFrame section="Team">
      <Team />
    </BrandFrame>
  );
}

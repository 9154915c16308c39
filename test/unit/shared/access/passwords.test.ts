import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertDomainAllowed, NewUserSchema } from '../../../../src/shared/access/accounts';
import { hashPassword, verifyPassword } from '../../../../src/shared/access/passwords';
import { atLeast, highestRole } from '../../../../src/shared/access/roles';

describe('passwords', () => {
    it('stores a salted scrypt hash that verifies the password and nothing else', async () => {
        const a = await hashPassword('correct horse battery');
        const b = await hashPassword('correct horse battery');
        assert.match(a, /^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]{86}$/);
        assert.notEqual(a, b, 'a fresh salt each time');
        assert.equal(await verifyPassword('correct horse battery', a), true);
        assert.equal(await verifyPassword('correct horse batterY', a), false);
        assert.equal(await verifyPassword('correct horse battery', 'plain:correct horse battery'), false);
    });
});

describe('accounts', () => {
    it('validates the e-mail address and the password length, and lower-cases the address', () => {
        assert.equal(NewUserSchema.parse({ email: ' Ana@Contoso.com ', password: 'x'.repeat(12), role: 'viewer' }).email, 'ana@contoso.com');
        assert.equal(NewUserSchema.safeParse({ email: 'ana@', password: 'x'.repeat(12), role: 'viewer' }).success, false);
        assert.equal(NewUserSchema.safeParse({ email: 'ana@contoso.com', password: 'short', role: 'viewer' }).success, false);
        assert.equal(NewUserSchema.safeParse({ email: 'ana@contoso.com', password: 'x'.repeat(12), role: 'root' }).success, false);
    });

    it('limits accounts to the configured e-mail domains, and to none when none is configured', () => {
        assert.doesNotThrow(() => assertDomainAllowed('ana@contoso.com', ['contoso.com']));
        assert.throws(() => assertDomainAllowed('ana@evil.com', ['contoso.com']), /limited to @contoso\.com/);
        assert.throws(() => assertDomainAllowed('ana@sub.contoso.com', ['contoso.com']), /limited/);
        assert.throws(() => assertDomainAllowed('ana@contoso.com', []), /AUTH_EMAIL_DOMAINS/);
    });
});

describe('roles', () => {
    it('orders admin above operator above viewer, and maps namespaced app roles', () => {
        assert.equal(atLeast('admin', 'operator'), true);
        assert.equal(atLeast('operator', 'admin'), false);
        assert.equal(atLeast('viewer', 'operator'), false);
        assert.equal(atLeast(null, 'viewer'), false);
        assert.equal(highestRole(['Autoheal.Viewer', 'Autoheal.Operator']), 'operator');
        assert.equal(highestRole(['Admin']), 'admin');
        assert.equal(highestRole(['Reader', 'Task.Write']), null);
    });
});

console.log('placeholder build')
